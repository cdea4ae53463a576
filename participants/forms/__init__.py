"""Participants' forms, one module per audience: `coordinator`, `portal` (the participant's
own pages) and `survey` (the questionnaire after the stay)."""
