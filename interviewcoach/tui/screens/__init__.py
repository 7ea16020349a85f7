"""The app's screens: home, interview, feedback, summary, history, help and settings."""
