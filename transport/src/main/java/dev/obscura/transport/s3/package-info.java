/**
 * A {@link dev.obscura.core.SegmentStore} for S3-compatible object stores (AWS S3, MinIO, Ceph,
 * s3proxy) on the AWS SDK for Java v2. The SDK is an optional dependency of
 * {@code obscura-transport}: add {@code software.amazon.awssdk:s3} and
 * {@code software.amazon.awssdk:url-connection-client} to use this package. See
 * {@code docs/storage.md}.
 */
package dev.obscura.transport.s3;
