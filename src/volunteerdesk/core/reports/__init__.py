"""Printed documents: A4 PDFs made with reportlab from plain data the queries return.

One module per document (``rota``, ``desk_sheet``, ``gate_list``, ``clearance``,
``expiry``, ``schedule``, ``activity``), each with a ``build_<document>`` function that
the command line and the window both call; ``template`` is the page they share and
``fonts`` chooses a font for each run of script.
"""
