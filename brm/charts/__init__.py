"""Charts drawn on the server as SVG: the same markup in a page and in a PDF (WeasyPrint runs no
JavaScript). Each chart is an image with a title and a description for assistive technology,
and its figures go in an HTML table beside it (the `{% bar_chart %}` and `{% trend_chart %}`
tags of `brm_charts` draw both)."""
