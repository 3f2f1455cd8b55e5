"""The Qt interface: a thin main window, pages, dialogs, table models, widgets, background tasks."""
