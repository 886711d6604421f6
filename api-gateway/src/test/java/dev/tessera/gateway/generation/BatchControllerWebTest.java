package dev.tessera.gateway.generation;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.WebSlice;
import dev.tessera.gateway.auth.AdminAuthenticator;
import dev.tessera.gateway.auth.Authenticator;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.auth.UnauthorizedException;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** {@code POST /v1/batches} over HTTP, with the batch service replaced. */
@WebMvcTest(controllers = BatchController.class)
@ContextConfiguration(classes = {WebSlice.class, StatusUrls.class})
class BatchControllerWebTest {

  private static final String KEY = "Bearer tsk_test_key";
  private static final Caller CALLER = new Caller(UUID.randomUUID(), UUID.randomUUID());
  private static final String BODY = """
      {"requests": [{"model": "fm-ar", "class_label": 1}, {"model": "fm-ar", "class_label": 2}]}""";

  private final MockMvc mvc;
  @MockitoBean
  private BatchService batches;
  @MockitoBean
  private Authenticator authenticator;
  @MockitoBean
  private AdminAuthenticator admins;

  BatchControllerWebTest(MockMvc mvc) {
    this.mvc = mvc;
  }

  @BeforeEach
  void authenticate() {
    when(authenticator.authenticate(any())).thenAnswer(call -> {
      if (KEY.equals(call.getArgument(0))) {
        return CALLER;
      }
      throw new UnauthorizedException("unknown API key");
    });
  }

  @Test
  void aBatchIs202WithOneEntryPerRequestInOrder() throws Exception {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    when(batches.submit(eq(CALLER), any(), isNull())).thenReturn(List.of(
        new GenerationService.Accepted(a, true, false, GenerationState.QUEUED),
        new GenerationService.Accepted(b, true, false, GenerationState.QUEUED)));

    mvc.perform(post("/v1/batches").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isAccepted())
        .andExpect(header().doesNotExist("Idempotent-Replayed"))
        .andExpect(jsonPath("$.data.length()").value(2))
        .andExpect(jsonPath("$.data[0].id").value(a.toString()))
        .andExpect(jsonPath("$.data[1].id").value(b.toString()))
        .andExpect(jsonPath("$.data[1].status_url")
            .value("http://localhost:80/v1/generations/" + b));
  }

  @Test
  void aReplayedBatchSaysSo() throws Exception {
    when(batches.submit(eq(CALLER), any(), eq("k"))).thenReturn(List.of(
        new GenerationService.Accepted(UUID.randomUUID(), true, true, GenerationState.SUCCEEDED)));

    mvc.perform(post("/v1/batches").header("Authorization", KEY).header("Idempotency-Key", "k")
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Idempotent-Replayed", "true"))
        .andExpect(jsonPath("$.data[0].status").value("SUCCEEDED"));
  }

  @Test
  void aWrongTypeInsideAnItemIs400NamingItsPath() throws Exception {
    mvc.perform(post("/v1/batches").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"requests\": [{\"model\": \"fm-ar\"}, {\"class_label\": \"two\"}]}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("requests[1].class_label"));
    verifyNoInteractions(batches);
  }

  @Test
  void anInvalidItemIs400NamingIt() throws Exception {
    when(batches.submit(eq(CALLER), any(), isNull())).thenThrow(new InvalidRequestException(
        ProblemType.INVALID_FIELD, "requests[1].class_label", "requests[1]: out of range"));

    mvc.perform(post("/v1/batches").header("Authorization", KEY)
            .contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("requests[1].class_label"))
        .andExpect(jsonPath("$.instance").value("/v1/batches"));
  }

  @Test
  void withoutAKeyNothingIsSubmitted() throws Exception {
    mvc.perform(post("/v1/batches").contentType(MediaType.APPLICATION_JSON).content(BODY))
        .andExpect(status().isUnauthorized());
    verifyNoInteractions(batches);
  }
}
