"""Files for other programs: iCalendar (``ics``), and CSV and XLSX (``tables``)."""
