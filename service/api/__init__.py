"""The HTTP API (Litestar): the app factory is service.api.app.create_app."""
