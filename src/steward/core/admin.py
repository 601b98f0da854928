"""User accounts and roles are managed in Django's admin site (superusers and granted staff)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from steward.core.models import RoleSettings, Token, TOTPDevice

admin.site.site_header = "Steward administration"
admin.site.site_title = "Steward"
admin.site.index_title = "Users and roles"


class RoleSettingsInline(admin.StackedInline):
    model = RoleSettings
    can_delete = False
    verbose_name_plural = "Role settings"


class RoleAdmin(GroupAdmin):
    inlines = [RoleSettingsInline]


class TokenInline(admin.TabularInline):
    model = Token
    extra = 0
    fields = ("prefix", "description", "write_enabled", "expires", "last_used", "created")
    readonly_fields = ("prefix", "last_used", "created")
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # keys are issued by their owner on the profile page, shown once


class TOTPInline(admin.StackedInline):
    model = TOTPDevice
    extra = 0
    fields = ("confirmed", "created")
    readonly_fields = ("confirmed", "created")
    can_delete = True
    verbose_name_plural = "Two-factor device (delete to reset)"

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class StewardUserAdmin(UserAdmin):
    inlines = [TOTPInline, TokenInline]


admin.site.unregister(Group) if admin.site.is_registered(Group) else None
admin.site.unregister(User) if admin.site.is_registered(User) else None
admin.site.register(Group, RoleAdmin)
admin.site.register(User, StewardUserAdmin)
