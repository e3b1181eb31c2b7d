"""The floor's one table: what an intake's body holds, one row per request."""

from django.db import models


class Intake(models.Model):
    kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    customer_id = models.BigIntegerField(null=True)
    serial = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    priority = models.CharField(max_length=10)
    problem_class = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} {self.summary}"
