"""HTML → PDF with WeasyPrint: fonts, the file jail and CJK line layout."""
