package dev.orchestrator.langchain4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.providers.http.Redactor;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  private static final String KEY = "sk-proj-Zq81xYt5Lm0Pw3Rb";
  private static final Redactor REDACTOR = Redactor.of(KEY);

  private static ProviderException classify(Throwable t) {
    return Failures.classify("gpt", t, REDACTOR);
  }

  @Test
  void exceptionTypesWithoutAStatusAreClassifiedByType() {
    assertThat(classify(new RateLimitException("slow down")).kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(classify(new AuthenticationException("bad key " + KEY))).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).doesNotContain(KEY).contains("check the API key");
    });
    assertThat(classify(new ModelNotFoundException("no such model")).kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(classify(new ContentFilteredException("filtered")).kind()).isEqualTo(ErrorKind.CONTENT_REFUSED);
    assertThat(classify(new InvalidRequestException("This model's maximum context length is 8192 tokens")).kind())
        .isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
    assertThat(classify(new InternalServerException("boom")).kind()).isEqualTo(ErrorKind.SERVER);
    assertThat(classify(new LangChain4jException("odd")).kind()).isEqualTo(ErrorKind.UNKNOWN);
  }

  @Test
  void aTimeoutMayHaveBeenBilledAndIsRetried() {
    ProviderException e = classify(new TimeoutException("request timed out"));
    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.retryable()).isTrue();
    assertThat(e.billing()).isEqualTo(Billing.MAY_HAVE_BILLED);
    ProviderException wrapped = classify(new LangChain4jException(new HttpTimeoutException("request timed out")));
    assertThat(wrapped.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(wrapped.billing()).isEqualTo(Billing.MAY_HAVE_BILLED);
  }

  @Test
  void theStatusDecidesWhereThereIsOne() {
    ProviderException overloaded = classify(new InternalServerException(new HttpException(529,
        "{\"error\": {\"message\": \"Overloaded\"}}")));
    assertThat(overloaded.kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(overloaded.billing()).isEqualTo(Billing.NOT_BILLED);
    assertThat(overloaded.getMessage()).contains("HTTP 529: Overloaded");
    ProviderException gateway = classify(new InternalServerException(new HttpException(504, "")));
    assertThat(gateway.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(gateway.billing()).as("a gateway timeout comes after the model may have worked")
        .isEqualTo(Billing.MAY_HAVE_BILLED);
    assertThat(classify(new InvalidRequestException(new HttpException(402, "{}"))).kind())
        .isEqualTo(ErrorKind.INVALID_REQUEST);
  }

  @Test
  void anErrorBodyIsNeverQuotedWhole() {
    ProviderException e = classify(new InvalidRequestException(new HttpException(400,
        "{\"error\": {\"message\": \"Invalid 'messages'.\"}, \"echo\": \"the user's whole prompt\"}")));
    assertThat(e.getMessage()).contains("Invalid 'messages'.").doesNotContain("whole prompt");
  }

  @Test
  void connectionFailuresAreNetworkFailuresThatWereNotBilled() {
    ProviderException refused = classify(new LangChain4jException(new ConnectException("Connection refused")));
    assertThat(refused.kind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(refused.billing()).isEqualTo(Billing.NOT_BILLED);
    ProviderException unresolved = classify(new UnresolvedModelServerException(new UnresolvedAddressException()));
    assertThat(unresolved.kind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(unresolved.billing()).isEqualTo(Billing.NOT_BILLED);
  }

  @Test
  void cancellationAndWrappersAreSeenThrough() {
    assertThat(classify(new CancellationException()).kind()).isEqualTo(ErrorKind.CANCELLED);
    assertThat(classify(new CompletionException(new RateLimitException("slow down"))).kind())
        .isEqualTo(ErrorKind.RATE_LIMITED);
    ProviderException already = new ProviderException("gpt", ErrorKind.AUTH, "no");
    assertThat(classify(already)).isSameAs(already);
  }
}
