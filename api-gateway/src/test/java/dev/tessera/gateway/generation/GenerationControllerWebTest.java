package dev.tessera.gateway.generation;

import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.WebSlice;
import dev.tessera.gateway.auth.AdminAuthenticator;
import dev.tessera.gateway.auth.Authenticator;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.auth.UnauthorizedException;
import dev.tessera.gateway.limits.LimitExceededException;
import dev.tessera.gateway.limits.LimitExceededException.Limit;
import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.NotFoundException;
import dev.tessera.gateway.problem.ProblemType;
import dev.tessera.gateway.problem.ServiceUnavailableException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code /v1/generations} over HTTP, with the service behind it replaced: what a client sends is
 * parsed, authenticated and answered (status, headers, problem details) as the API promises.
 */
@WebMvcTest(controllers = GenerationController.class)
@ContextConfiguration(classes = {WebSlice.class, StatusUrls.class})
class GenerationControllerWebTest {

  private static final String KEY = "Bearer tsk_test_key";
  private static final Caller CALLER = new Caller(UUID.randomUUID(), UUID.randomUUID());
  private static final String BODY = """
      {"model": "fm-ar", "class_label": 3, "strategy": "ar"}""";

  private final MockMvc mvc;
  @MockitoBean
  private GenerationService service;
  @MockitoBean
  private GenerationReader reader;
  @MockitoBean
  private Cancellations cancellations;
  @MockitoBean
  private Authenticator authenticator;
  @MockitoBean
  private AdminAuthenticator admins;

  GenerationControllerWebTest(MockMvc mvc) {
    this.mvc = mvc;
  }

  @BeforeEach
  void authenticate() {
    when(authenticator.authenticate(any())).thenAnswer(call -> {
      String header = call.getArgument(0);
      if (KEY.equals(header)) {
        return CALLER;
      }
      throw new UnauthorizedException(header == null ? "missing Authorization header"
          : "unknown API key");
    });
  }

  @Test
  void anAcceptedRequestIs202WithItsStatusUrlInTheBodyAndLocation() throws Exception {
    UUID id = UUID.randomUUID();
    when(service.submit(eq(CALLER), any(), isNull()))
        .thenReturn(new GenerationService.Accepted(id, true, false, GenerationState.QUEUED));

    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", "http://localhost:80/v1/generations/" + id))
        .andExpect(header().doesNotExist("Idempotent-Replayed"))
        .andExpect(jsonPath("$.id").value(id.toString()))
        .andExpect(jsonPath("$.status").value("QUEUED"))
        .andExpect(jsonPath("$.status_url").value("http://localhost:80/v1/generations/" + id));
  }

  @Test
  void theBodyIsParsedSnakeCaseAndTheIdempotencyKeyPassedOn() throws Exception {
    UUID id = UUID.randomUUID();
    when(service.submit(eq(CALLER), any(), eq("k-1")))
        .thenReturn(new GenerationService.Accepted(id, true, true, GenerationState.RUNNING));

    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .header("Idempotency-Key", "k-1")
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Idempotent-Replayed", "true"))
        .andExpect(jsonPath("$.status").value("RUNNING"));
    verify(service).submit(CALLER, new CreateGenerationBody("fm-ar", 3, "ar", null, null, null,
        null, null, null, null, null, null, null), "k-1");
  }

  @Test
  void withoutAKeyIt401sWithAChallengeAndStoresNothing() throws Exception {
    mvc.perform(post("/v1/generations").contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isUnauthorized())
        .andExpect(header().string("WWW-Authenticate", "Bearer"))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(401));
    verifyNoInteractions(service);
  }

  @Test
  void aWrongKeyIs401EvenWithABrokenBody() throws Exception {
    mvc.perform(post("/v1/generations").header("Authorization", "Bearer nope")
            .contentType(MediaType.APPLICATION_JSON).content("{not json"))
        .andExpect(status().isUnauthorized());
    verifyNoInteractions(service);
  }

  @Test
  void anUnknownFieldIs400NamingIt() throws Exception {
    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"model\": \"fm-ar\", \"class_lable\": 3}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.field").value("class_lable"))
        .andExpect(jsonPath("$.type", startsWith("https://")));
    verifyNoInteractions(service);
  }

  @Test
  void aStringWhereANumberBelongsIs400NamingTheField() throws Exception {
    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"model\": \"fm-ar\", \"class_label\": \"3\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("class_label"));
  }

  @Test
  void aFieldSentTwiceIs400() throws Exception {
    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"model\": \"fm-ar\", \"model\": \"fm-par4\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("model"));
  }

  @Test
  void malformedJsonIs400() throws Exception {
    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON).content("{\"model\": "))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  @Test
  void aTextBodyIs415() throws Exception {
    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.TEXT_PLAIN).content(BODY))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  @Test
  void aValidationFailureIs400NamingTheField() throws Exception {
    when(service.submit(eq(CALLER), any(), isNull())).thenThrow(new InvalidRequestException(
        ProblemType.INVALID_FIELD, "class_label", "class_label must be in [0, 10)"));

    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("class_label"))
        .andExpect(jsonPath("$.detail").value("class_label must be in [0, 10)"))
        .andExpect(jsonPath("$.instance").value("/v1/generations"));
  }

  @Test
  void overTheRateIs429WithRetryAfterAndRateLimitHeaders() throws Exception {
    when(service.submit(eq(CALLER), any(), isNull())).thenThrow(
        new LimitExceededException(Limit.RATE, 2, 1L, 3, "over 2 requests per second"));

    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isTooManyRequests())
        .andExpect(header().string("Retry-After", "3"))
        .andExpect(header().string("RateLimit-Policy", "\"rate\";q=2;w=1"))
        .andExpect(header().string("RateLimit", "\"rate\";r=0;t=3"))
        .andExpect(jsonPath("$.limit").value("rate"))
        .andExpect(jsonPath("$.retry_after").value(3));
  }

  @Test
  void aBackingServiceDownIs503WithRetryAfter() throws Exception {
    when(service.submit(eq(CALLER), any(), isNull())).thenThrow(
        new ServiceUnavailableException("kafka", "the request queue is unavailable", null));

    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "5"))
        .andExpect(jsonPath("$.service").value("kafka"));
  }

  @Test
  void postgresDownIs503NamingItRatherThanA500() throws Exception {
    when(reader.view(eq(CALLER), any())).thenThrow(
        new CannotGetJdbcConnectionException("connection refused"));

    mvc.perform(get("/v1/generations/{id}", UUID.randomUUID()).header("Authorization", KEY))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "5"))
        .andExpect(jsonPath("$.service").value("postgresql"));
  }

  @Test
  void anUnexpectedFailureIs500WithoutItsMessage() throws Exception {
    when(service.submit(eq(CALLER), any(), isNull()))
        .thenThrow(new IllegalStateException("secret internals"));

    mvc.perform(post("/v1/generations").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isInternalServerError())
        .andExpect(jsonPath("$.detail").value("internal error; it has been logged"));
  }

  @Test
  void readingAGenerationAnswersItsView() throws Exception {
    UUID id = UUID.randomUUID();
    when(reader.view(CALLER, id)).thenReturn(Views.queued(id));

    mvc.perform(get("/v1/generations/{id}", id).header("Authorization", KEY))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(id.toString()))
        .andExpect(jsonPath("$.status").value("QUEUED"))
        .andExpect(jsonPath("$.class_label").value(3))
        .andExpect(jsonPath("$.error").doesNotExist());
  }

  @Test
  void anIdThatIsNoUuidIs404WithoutAskingTheReader() throws Exception {
    mvc.perform(get("/v1/generations/{id}", "not-a-uuid").header("Authorization", KEY))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    verifyNoInteractions(reader);
  }

  @Test
  void anotherTenantsGenerationIs404() throws Exception {
    UUID id = UUID.randomUUID();
    when(reader.view(CALLER, id)).thenThrow(new NotFoundException("no generation " + id));

    mvc.perform(get("/v1/generations/{id}", id).header("Authorization", KEY))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value("no generation " + id));
  }

  @Test
  void theImageIsServedAsPng() throws Exception {
    UUID id = UUID.randomUUID();
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    when(reader.image(CALLER, id)).thenReturn(png);

    mvc.perform(get("/v1/generations/{id}/image.png", id).header("Authorization", KEY))
        .andExpect(status().isOk())
        .andExpect(content().contentType(MediaType.IMAGE_PNG))
        .andExpect(content().bytes(png));
  }

  @Test
  void cancellingAnswersTheCancelledViewAndAnEndedOneIs409() throws Exception {
    UUID open = UUID.randomUUID();
    UUID ended = UUID.randomUUID();
    when(cancellations.cancel(CALLER, open)).thenReturn(Views.cancelled(open));
    when(cancellations.cancel(CALLER, ended)).thenThrow(new ApiException(HttpStatus.CONFLICT,
        ProblemType.ALREADY_FINISHED, "generation " + ended + " already ended SUCCEEDED", null));

    mvc.perform(delete("/v1/generations/{id}", open).header("Authorization", KEY))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("CANCELLED"));
    mvc.perform(delete("/v1/generations/{id}", ended).header("Authorization", KEY))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value(ProblemType.ALREADY_FINISHED.uri().toString()));
  }
}
