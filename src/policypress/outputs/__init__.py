"""Everything a build writes: site pages, PDFs, LMS exports, calendar, manifest."""
