"""What the student practises: the question bank, rubric files and advisor sets, loaded and validated."""
