"""The coding workbench: a Textual UI over the project facade (`ppss_qual.tui.app.run`, `create_app`)."""
