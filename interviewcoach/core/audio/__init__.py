"""Audio in and out of files and devices: recording through PortAudio, WAV writing and repair, reading
any audio file.
"""
