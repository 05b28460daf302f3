"""The package version, in a module of its own so that any module can name it without importing
the package's flat API (which imports nearly every module: an import circle)."""

__version__ = "0.1.0"
