package dev.obscura.crypto.scheme;

class TinkStreamingSchemeTest extends AuthenticatedSchemeContract {
  @Override
  SealingScheme scheme() {
    return new TinkStreamingScheme();
  }
}
