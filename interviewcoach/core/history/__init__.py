"""What the student has done: the attempts database, its schema and repair, exports and submissions."""
