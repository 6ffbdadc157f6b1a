"""The live preview: a small local web server that shows an issue as it will print.

A watcher rebuilds on every change to the sources, templates or fonts with one warm
Renderer; the pages, rasterized to images, reach the browser by server-sent events.
"""
