"""interviewcoach: an offline mock-interview trainer for Interventional Radiology applicants."""

import os

# onnxruntime (loaded by faster-whisper's Silero voice detector) starts its telemetry about 30 s
# after the detector is first used and sends DNS queries for Microsoft's event hub. Only this
# variable, set before onnxruntime loads, turns it off (`disable_telemetry_events()` does not).
# Every entry point imports this package first, so it is set here, unconditionally: nothing is
# sent anywhere.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

__version__ = "0.1.0"
