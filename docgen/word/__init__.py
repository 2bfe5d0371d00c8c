"""The one Word writer: namespaces, zip and core properties, XML, merging, prepared templates.

Imports nothing above it (like python-docx's ``oxml/``)."""
