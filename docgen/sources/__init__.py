"""Raw documents read with positions: plain values plus a side table of where each key is."""
