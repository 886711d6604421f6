package dev.tessera.gateway.usage;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tessera.gateway.WebSlice;
import dev.tessera.gateway.auth.AdminAuthenticator;
import dev.tessera.gateway.auth.Authenticator;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.auth.UnauthorizedException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code GET /v1/usage} over HTTP, with the ledger's sums replaced: who may read whose usage, and
 * the buckets, empty ones included.
 */
@WebMvcTest(controllers = UsageController.class)
@ContextConfiguration(classes = {WebSlice.class, UsageControllerWebTest.FixedClock.class})
class UsageControllerWebTest {

  private static final Instant NOW = Instant.parse("2026-01-03T00:00:00Z");
  private static final long DAY = 86_400;
  private static final String START = Long.toString(NOW.getEpochSecond() - 2 * DAY);
  private static final String KEY = "Bearer tsk_test_key";
  private static final String ADMIN = "Bearer admin";
  private static final Caller CALLER = new Caller(UUID.randomUUID(), UUID.randomUUID());

  @TestConfiguration
  static class FixedClock {
    @Bean
    Clock clock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }
  }

  private final MockMvc mvc;
  @MockitoBean
  private UsageRepository repository;
  @MockitoBean
  private Authenticator authenticator;
  @MockitoBean
  private AdminAuthenticator admins;

  UsageControllerWebTest(MockMvc mvc) {
    this.mvc = mvc;
  }

  @BeforeEach
  void authenticate() {
    when(admins.isAdmin(ADMIN)).thenReturn(true);
    when(authenticator.authenticate(any())).thenAnswer(call -> {
      if (KEY.equals(call.getArgument(0))) {
        return CALLER;
      }
      throw new UnauthorizedException("unknown API key");
    });
  }

  @Test
  void aTenantReadsItsOwnUsageInDailyBucketsEmptyOnesIncluded() throws Exception {
    when(repository.sums(eq(CALLER.tenantId()), any())).thenReturn(List.of(
        new UsageRepository.Sums(1, null, null, null, 3, 4, 3, 768, 768, 0, 2_700)));

    mvc.perform(get("/v1/usage").header("Authorization", KEY)
            .param("start", Long.toString(NOW.getEpochSecond() - 2 * DAY)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.object").value("page"))
        .andExpect(jsonPath("$.data.length()").value(2))
        .andExpect(jsonPath("$.data[0].results.length()").value(0))
        .andExpect(jsonPath("$.data[1].start_time").value(NOW.getEpochSecond() - DAY))
        .andExpect(jsonPath("$.data[1].end_time").value(NOW.getEpochSecond()))
        .andExpect(jsonPath("$.data[1].results[0].images").value(3))
        .andExpect(jsonPath("$.data[1].results[0].num_model_requests").value(4))
        .andExpect(jsonPath("$.has_more").value(false));
  }

  @Test
  void anotherTenantsIdIsNotFoundForAKey() throws Exception {
    mvc.perform(get("/v1/usage").header("Authorization", KEY).param("start", START)
            .param("tenant_id", UUID.randomUUID().toString()))
        .andExpect(status().isNotFound());
    verifyNoInteractions(repository);
  }

  @Test
  void theAdminNamesTheTenantAndAnUnknownOneIsNotFound() throws Exception {
    UUID known = UUID.randomUUID();
    when(repository.tenantExists(known)).thenReturn(true);
    when(repository.sums(eq(known), any())).thenReturn(List.of());

    mvc.perform(get("/v1/usage").header("Authorization", ADMIN).param("start", START)
            .param("tenant_id", known.toString()))
        .andExpect(status().isOk());
    mvc.perform(get("/v1/usage").header("Authorization", ADMIN).param("start", START)
            .param("tenant_id", UUID.randomUUID().toString()))
        .andExpect(status().isNotFound());
    mvc.perform(get("/v1/usage").header("Authorization", ADMIN).param("start", START))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("tenant_id"));
  }

  @Test
  void badParametersAre400NamingThem() throws Exception {
    mvc.perform(get("/v1/usage").header("Authorization", KEY))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("start"));
    mvc.perform(get("/v1/usage").header("Authorization", KEY).param("start", START)
            .param("bucket", "1w"))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("bucket"));
    mvc.perform(get("/v1/usage").header("Authorization", KEY).param("start", START)
            .param("group_by", "colour"))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("group_by"));
    verifyNoInteractions(repository);
  }

  @Test
  void withoutCredentialsIt401s() throws Exception {
    mvc.perform(get("/v1/usage").param("start", START))
        .andExpect(status().isUnauthorized());
    verifyNoInteractions(repository);
  }
}
