package io.execguard.core.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
    private static final String R = Redactor.MARK;
    private final Redactor redactor = Redactor.standard();

    private List<String> args(String... args) {
        return redactor.redactArgs(List.of(args));
    }

    @Test
    void longFlagWithEquals() {
        assertEquals(List.of("app", "--password=" + R, "--db-password=" + R, "--client_secret=" + R,
                "--api-key=" + R, "--github.token=" + R, "-Dspring.datasource.password=" + R),
                args("app", "--password=hunter2", "--db-password=s3cret", "--client_secret=abc",
                        "--api-key=k", "--github.token=t", "-Dspring.datasource.password=p"));
    }

    @Test
    void longFlagWithSeparateValue() {
        assertEquals(List.of("app", "--password", R, "--token", R, "--user", "bob"),
                args("app", "--password", "hunter2", "--token", "abc123", "--user", "bob"));
    }

    @Test
    void mysqlShortPasswordBothForms() {
        assertEquals(List.of("mysql", "-u", "root", "-p" + R, "db"), args("mysql", "-u", "root", "-phunter2", "db"));
        assertEquals(List.of("/usr/bin/mysqldump", "-p" + R), args("/usr/bin/mysqldump", "-psecret"));
    }

    @Test
    void dashPSecretForPasswordTakingTools() {
        assertEquals(List.of("sshpass", "-p", R, "ssh", "host"), args("sshpass", "-p", "secret", "ssh", "host"));
        assertEquals(List.of("docker", "login", "-u", "me", "-p", R, "registry.example"),
                args("docker", "login", "-u", "me", "-p", "secret", "registry.example"));
        assertEquals(List.of("mongosh", "-u", "admin", "-p", R), args("mongosh", "-u", "admin", "-p", "pw"));
        assertEquals(List.of("redis-cli", "-a", R, "ping"), args("redis-cli", "-a", "pw", "ping"));
    }

    @Test
    void curlUserPassword() {
        assertEquals(List.of("curl", "-u", "bob:" + R, "https://x"), args("curl", "-u", "bob:pw", "https://x"));
        assertEquals(List.of("curl", "--user", "bob:" + R), args("curl", "--user", "bob:pw"));
        assertEquals(List.of("curl", "-ubob:" + R), args("curl", "-ubob:pw"));
        assertEquals(List.of("curl", "--user=bob:" + R), args("curl", "--user=bob:pw"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://example.com/x?token=abc123&page=2|https://example.com/x?token=" + "[REDACTED]" + "&page=2",
        "password=hunter2|password=[REDACTED]",
        "https://api/x?api_key=k1;foo=bar|https://api/x?api_key=[REDACTED];foo=bar",
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI|AWS_SECRET_ACCESS_KEY=[REDACTED]",
        "GITHUB_TOKEN=ghx|GITHUB_TOKEN=[REDACTED]",
        "db_password=pw|db_password=[REDACTED]",
        "MY_SERVICE_SECRET=s|MY_SERVICE_SECRET=[REDACTED]",
        "STRIPE_API_KEY=sk|STRIPE_API_KEY=[REDACTED]",
        "Authorization: Bearer eyabc.def|Authorization: Bearer [REDACTED]",
        "authorization:Basic dXNlcjpwYXNz|authorization:Basic [REDACTED]",
        "Proxy-Authorization: token abc|Proxy-Authorization: token [REDACTED]",
        "Authorization: abc123|Authorization: [REDACTED]",
        "X-Api-Key: k123|X-Api-Key: [REDACTED]",
        "bearer abc.def-ghi|bearer [REDACTED]",
        "https://bob:hunter2@git.example.com/repo.git|https://bob:[REDACTED]@git.example.com/repo.git",
        "postgres://app:pw@db:5432/app|postgres://app:[REDACTED]@db:5432/app",
        "key AKIAIOSFODNN7EXAMPLE here|key [REDACTED] here",
        "ASIAY34FZKBOKMUTVV7A|[REDACTED]",
        "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end|secret [REDACTED] end",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789|[REDACTED]",
        "glpat-abcdefghij0123456789|[REDACTED]",
        "xoxb-1234567890-abcdef|[REDACTED]",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature|[REDACTED]",
    })
    void inlineSecrets(String input, String expected) {
        assertEquals(expected, redactor.redact(input));
        assertEquals(List.of("prog", expected), args("prog", input));
    }

    @Test
    void shellCommandStringsAreRedactedInside() {
        assertEquals(List.of("sh", "-c", "curl -H 'Authorization: Bearer " + R + "' https://x?token=" + R),
                args("sh", "-c", "curl -H 'Authorization: Bearer abc' https://x?token=def"));
    }

    @Test
    void commandLinesUseTheSameRules() {
        assertEquals("mysql -u root -p" + R + " --password " + R + " db",
                redactor.redactCommandLine("mysql -u root -phunter2 --password hunter3 db"));
        assertEquals("java -jar app.jar --spring.datasource.password=" + R,
                redactor.redactCommandLine("java -jar app.jar --spring.datasource.password=pw"));
        assertEquals("env DB_PASSWORD=" + R + " ./run", redactor.redactCommandLine("env DB_PASSWORD=x ./run"));
    }

    /** Things that look a little like secrets but are not, and must survive so events stay useful. */
    @ParameterizedTest
    @ValueSource(strings = {
        "mkdir -p /var/lib/app",
        "ssh -p 2222 host",
        "docker run -p 8080:80 nginx",
        "psql -p 5432 -h db",
        "tar -xpf a.tar",
        "app --password-file=/run/secrets/db",
        "app --token-path /var/run/secrets/token",
        "app --passwordless",
        "app --keyboard=us",
        "git checkout 3f786850e387550fdab836ed7e6dc881de23001b",
        "sha256sum e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ls /usr/lib/x86_64-linux-gnu/libc.so.6",
        "java -cp /opt/App/lib/commons-lang3-3.12.0.jar Main",
        "PATH=/usr/local/bin:/usr/bin HOME=/root LANG=C.UTF-8",
        "curl https://example.com/download?file=app.tar.gz&version=2",
        "echo tokenize the passport",
        "https://example.com:8443/path",
        "./gradlew build --no-daemon",
        "python3 -m http.server 8000",
    })
    void harmlessCommandLinesStayAsTheyAre(String commandLine) {
        assertEquals(commandLine, redactor.redactCommandLine(commandLine));
    }

    @Test
    void emptyInputs() {
        assertEquals(List.of(), redactor.redactArgs(List.of()));
        assertEquals("", redactor.redactCommandLine(""));
        assertEquals("", redactor.redact(""));
        assertEquals(List.of("--password"), args("--password"));
        assertEquals(List.of("app", "--password"), args("app", "--password"));
    }
}
