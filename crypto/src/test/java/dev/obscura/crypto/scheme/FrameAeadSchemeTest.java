package dev.obscura.crypto.scheme;

class FrameAeadSchemeTest extends AuthenticatedSchemeContract {
  @Override
  SealingScheme scheme() {
    return new FrameAeadScheme();
  }
}
