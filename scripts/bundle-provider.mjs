// Placeholder until the provider bundle exists (see the provider issue).
