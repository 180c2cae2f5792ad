"""The pure domain core: agreement model, units, calendars, validation and diff. No I/O."""
