// Library start-up: registers the built-in drivers exactly once.
#ifndef VIRTKIT_API_INIT_H
#define VIRTKIT_API_INIT_H

namespace virt::api {

// Safe to call from any thread, any number of times.
void EnsureInitialized();

}  // namespace virt::api

#endif  // VIRTKIT_API_INIT_H
