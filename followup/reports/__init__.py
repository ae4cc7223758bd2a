"""The lägesrapport: report data assembly, the PDF renderer, build services and tasks."""
