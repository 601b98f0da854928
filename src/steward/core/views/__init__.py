from steward.core.views.generic import ObjectViews, Panel

__all__ = ["ObjectViews", "Panel"]
