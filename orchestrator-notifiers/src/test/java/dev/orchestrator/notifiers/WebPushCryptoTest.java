package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.notifiers.internal.WebPushCrypto;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 8291's Appendix A test vector, a browser's side decrypting what is sent, and the RFC 8292 VAPID JWT. */
class WebPushCryptoTest {
  static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
  static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
  static final String AS_PUBLIC =
      "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
  static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
  static final String UA_PUBLIC =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
  static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
  static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocI"
      + "nmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

  static byte[] b64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Test
  void theRfc8291TestVectorIsReproducedByteForByte() {
    byte[] body = WebPushCrypto.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), b64(UA_PUBLIC), b64(AUTH),
        b64(SALT), WebPushCrypto.privateKey(b64(AS_PRIVATE)), WebPushCrypto.publicKey(b64(AS_PUBLIC)));
    assertThat(b64(body)).isEqualTo(BODY);
    assertThat(b64(WebPushCrypto.point(WebPushCrypto.publicKey(b64(UA_PUBLIC))))).isEqualTo(UA_PUBLIC);
  }

  /** The receiving browser's side (RFC 8291 section 3.4 and RFC 8188), to read what was sent. */
  static String decrypt(byte[] body, byte[] uaPrivate, byte[] uaPublic, byte[] auth) throws Exception {
    byte[] salt = Arrays.copyOfRange(body, 0, 16);
    int idlen = body[20];
    byte[] asPublic = Arrays.copyOfRange(body, 21, 21 + idlen);
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(WebPushCrypto.privateKey(uaPrivate));
    ka.doPhase(WebPushCrypto.publicKey(asPublic), true);
    byte[] ikm = hkdf(auth, ka.generateSecret(), concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII),
        uaPublic, asPublic), 32);
    byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] padded = c.doFinal(Arrays.copyOfRange(body, 21 + idlen, body.length));
    int end = padded.length - 1;
    while (padded[end] == 0) {
      end--;
    }
    assertThat(padded[end]).as("the last record's delimiter").isEqualTo((byte) 2);
    return new String(padded, 0, end, StandardCharsets.UTF_8);
  }

  private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int n) throws Exception {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = m.doFinal(ikm);
    m.init(new SecretKeySpec(prk, "HmacSHA256"));
    return Arrays.copyOf(m.doFinal(concat(info, new byte[] {1})), n);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void theVectorDecryptsAndAFreshEncryptionRoundTrips() throws Exception {
    assertThat(decrypt(b64(BODY), b64(UA_PRIVATE), b64(UA_PUBLIC), b64(AUTH))).isEqualTo(PLAINTEXT);
    byte[] fresh = WebPushCrypto.encrypt("Approve release notes?".getBytes(StandardCharsets.UTF_8), b64(UA_PUBLIC),
        b64(AUTH));
    assertThat(Arrays.copyOfRange(fresh, 0, 16)).isNotEqualTo(b64(SALT));
    assertThat(decrypt(fresh, b64(UA_PRIVATE), b64(UA_PUBLIC), b64(AUTH))).isEqualTo("Approve release notes?");
  }

  @Test
  void theVapidHeaderCarriesAnEs256JwtForThePushServicesOrigin() throws Exception {
    String header = WebPushCrypto.vapid("https://push.example.net", "mailto:ops@example.com",
        Instant.parse("2026-01-01T12:00:00Z"), WebPushCrypto.privateKey(b64(AS_PRIVATE)), b64(AS_PUBLIC));
    assertThat(header).startsWith("vapid t=").endsWith(", k=" + AS_PUBLIC);
    String jwt = header.substring("vapid t=".length(), header.indexOf(','));
    String[] parts = jwt.split("\\.");
    ObjectMapper json = new ObjectMapper();
    JsonNode head = json.readTree(b64(parts[0]));
    assertThat(head.get("alg").asText()).isEqualTo("ES256");
    JsonNode claims = json.readTree(b64(parts[1]));
    assertThat(claims.get("aud").asText()).isEqualTo("https://push.example.net");
    assertThat(claims.get("exp").asLong()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z").getEpochSecond());
    assertThat(claims.get("sub").asText()).isEqualTo("mailto:ops@example.com");
    Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
    v.initVerify(WebPushCrypto.publicKey(b64(AS_PUBLIC)));
    v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(b64(parts[2])).hasSize(64);
    assertThat(v.verify(b64(parts[2]))).isTrue();
  }
}
