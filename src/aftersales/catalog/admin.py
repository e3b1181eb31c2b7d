from django.contrib import admin

from aftersales.catalog.models import Category, ProductModel, Unit


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(ProductModel)
class ProductModelAdmin(admin.ModelAdmin):
    list_display = ("code", "brand", "name", "category", "policy_code")
    list_filter = ("category", "brand")
    search_fields = ("code", "name", "brand")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("serial", "model", "customer", "purchase_date", "status")
    list_filter = ("status", "model__category")
    search_fields = ("=serial",)
    raw_id_fields = ("customer",)
    show_full_result_count = False
