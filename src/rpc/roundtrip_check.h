// CheckRoundTrips<T>: the property every generated type must have (tests
// only). For the zero value and a series of random ones: the encoding
// decodes to an equal value and re-encodes to the same bytes; no strict
// prefix of it decodes (a truncated body is always refused); and trailing
// bytes after it are refused by an exact decode.
#ifndef VIRTKIT_RPC_ROUNDTRIP_CHECK_H
#define VIRTKIT_RPC_ROUNDTRIP_CHECK_H

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "rpc/body.h"
#include "rpc/xdr_random.h"

namespace virt::rpc {

template <typename T>
void CheckRoundTrips(int rounds = 40) {
  for (int seed = 0; seed < rounds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    T value{};
    RandomSource random(static_cast<uint64_t>(seed));
    if (seed > 0) Randomize(random, value);

    Result<std::vector<uint8_t>> bytes = EncodeBody(value);
    // A union's zero discriminant may select no arm: nothing to check then.
    if (seed == 0 && !bytes.ok()) continue;
    ASSERT_TRUE(bytes.ok()) << bytes.status().message();
    ASSERT_EQ(bytes->size() % 4, 0u);

    T decoded;
    Status status = DecodeBody(*bytes, decoded);
    ASSERT_TRUE(status.ok()) << status.message();
    EXPECT_TRUE(decoded == value);
    Result<std::vector<uint8_t>> again = EncodeBody(decoded);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *bytes);

    // Every prefix, up to a bound that keeps large encodings cheap.
    const size_t checked = std::min<size_t>(bytes->size(), 512);
    for (size_t n = 0; n < checked; ++n) {
      T truncated;
      EXPECT_FALSE(DecodeBody(std::span(bytes->data(), n), truncated).ok()) << "prefix " << n;
    }
    std::vector<uint8_t> longer = *bytes;
    longer.insert(longer.end(), 4, 0);
    T padded;
    EXPECT_FALSE(DecodeBodyExact(longer, padded).ok());
  }
}

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_ROUNDTRIP_CHECK_H
