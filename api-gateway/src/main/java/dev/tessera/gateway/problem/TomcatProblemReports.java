package dev.tessera.gateway.problem;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Puts {@link ProblemReportValve} in place of Tomcat's HTML error report (and of the one Spring
 * Boot adds), and lets TRACE through to Spring MVC. Runs after Spring Boot's own customizers, so
 * that its valve is the one removed.
 */
@Component
class TomcatProblemReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
    Ordered {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    // TRACE goes to Spring MVC (spring.mvc.dispatch-trace-request), which answers 405 as a problem
    // like any other unmapped method, instead of Tomcat's bare 405
    factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
    factory.addContextCustomizers(context -> {
      if (!(context.getParent() instanceof StandardHost host)) {
        return;
      }
      for (Valve valve : host.getPipeline().getValves()) {
        if (valve instanceof ErrorReportValve) {
          host.getPipeline().removeValve(valve);
        }
      }
      host.setErrorReportValveClass(ProblemReportValve.class.getName());
      host.getPipeline().addValve(new ProblemReportValve());
    });
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
