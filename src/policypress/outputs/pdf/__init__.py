"""PDFs: planning documents, rendering them with WeasyPrint, posters."""
