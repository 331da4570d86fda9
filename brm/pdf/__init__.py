"""PDF documents: render a template with WeasyPrint, seal it with pyHanko, verify an upload.

A core block: agreements and review packs call it; it knows nothing about them.
"""
