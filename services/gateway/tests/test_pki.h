// A throwaway certificate authority for tests of TLS and mutual TLS: a CA, a server certificate
// for "localhost" / 127.0.0.1, and client certificates, all P-256 keys, made with OpenSSL in
// memory. Never for anything but tests.
#ifndef NTM_SERVICES_GATEWAY_TESTS_TEST_PKI_H_
#define NTM_SERVICES_GATEWAY_TESTS_TEST_PKI_H_

#include <string>

namespace ntm::gateway::testing {

struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};

class TestCa {
 public:
  // A new CA whose certificate's subject is "CN=<name>".
  explicit TestCa(const std::string& name);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& cert_pem() const { return ca_.cert_pem; }
  // A server certificate for DNS:localhost and IP:127.0.0.1.
  KeyPair Server() const;
  // A client certificate whose subject is "CN=<common_name>".
  KeyPair Client(const std::string& common_name) const;

 private:
  KeyPair Issue(const std::string& common_name, bool server) const;
  void* key_ = nullptr;   // EVP_PKEY*
  void* cert_ = nullptr;  // X509*
  KeyPair ca_;
};

}  // namespace ntm::gateway::testing

#endif  // NTM_SERVICES_GATEWAY_TESTS_TEST_PKI_H_
