"""The two interpreters: forward (dual numbers, JVP) and reverse (tape, VJP). Import core only."""
