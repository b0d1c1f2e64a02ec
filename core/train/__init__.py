"""Training, eagerly: a small model learning a 2-D dataset (or a noisy sine), one eager step at a time."""
