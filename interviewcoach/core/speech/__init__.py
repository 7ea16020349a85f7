"""Speech to text and the sound of the answer: Whisper engines, streaming transcription while the
student speaks, acoustic features for fillers and pauses, the domain vocabulary.
"""
