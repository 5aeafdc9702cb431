"""One small document model (`model`) for the executive summary and the data-quality
statement, rendered to HTML and Markdown by the Jinja2 templates in `templates/`
(`render`)."""
