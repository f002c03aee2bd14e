"""The bundled scenario files, installed as the package data of ``planner.scenarios``."""
