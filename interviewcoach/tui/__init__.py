"""The Textual mock-interview app; the only part of interviewcoach that imports textual."""
