#include "services/gateway/tests/test_pki.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <stdexcept>

namespace ntm::gateway::testing {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("test PKI: ") + what);
  }
}

EVP_PKEY* NewKey() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  Check(key != nullptr, "EC key generation");
  return key;
}

std::string KeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "writing a key");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string CertPem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_X509(bio, cert) == 1, "writing a certificate");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, "making an extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named CN=<common_name>, valid from an hour ago for a day, signed by
// `issuer_key` (itself when issuer is null).
X509* NewCert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
              long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert, issuer == nullptr ? name : X509_get_subject_name(issuer));
  return cert;
}

}  // namespace

TestCa::TestCa(const std::string& name) {
  EVP_PKEY* key = NewKey();
  X509* cert = NewCert(key, name, nullptr, key, 1);
  AddExtension(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  Check(X509_sign(cert, key, EVP_sha256()) > 0, "signing the CA");
  key_ = key;
  cert_ = cert;
  ca_ = {CertPem(cert), KeyPem(key)};
}

TestCa::~TestCa() {
  X509_free(static_cast<X509*>(cert_));
  EVP_PKEY_free(static_cast<EVP_PKEY*>(key_));
}

KeyPair TestCa::Issue(const std::string& common_name, bool server) const {
  static long serial = 100;
  X509* ca = static_cast<X509*>(cert_);
  EVP_PKEY* ca_key = static_cast<EVP_PKEY*>(key_);
  EVP_PKEY* key = NewKey();
  X509* cert = NewCert(key, common_name, ca, ca_key, ++serial);
  AddExtension(cert, ca, NID_basic_constraints, "critical,CA:FALSE");
  if (server) {
    AddExtension(cert, ca, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    AddExtension(cert, ca, NID_ext_key_usage, "serverAuth");
  } else {
    AddExtension(cert, ca, NID_ext_key_usage, "clientAuth");
  }
  Check(X509_sign(cert, ca_key, EVP_sha256()) > 0, "signing a certificate");
  KeyPair pair{CertPem(cert), KeyPem(key)};
  X509_free(cert);
  EVP_PKEY_free(key);
  return pair;
}

KeyPair TestCa::Server() const { return Issue("localhost", true); }

KeyPair TestCa::Client(const std::string& common_name) const { return Issue(common_name, false); }

}  // namespace ntm::gateway::testing
