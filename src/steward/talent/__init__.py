"""Skills, proficiencies, certifications, training and gap analysis against the estate."""
