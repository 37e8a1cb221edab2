package dev.obscura.crypto.scheme;

class ChunkedSchemeTest extends AuthenticatedSchemeContract {
  @Override
  SealingScheme scheme() {
    return new ChunkedScheme();
  }
}
