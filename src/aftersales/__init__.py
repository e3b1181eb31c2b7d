"""Aftersales — after-sales service management (售后服务管理系统)."""
