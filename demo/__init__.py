"""Demo data on the roof: `seed_demo` (a small, complete portal for trying it out) and
`seed_scale` (ten years of plans and participants for measuring). It may import every app."""
