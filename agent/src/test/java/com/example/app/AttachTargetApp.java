package com.example.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Runs until told to exit: prints {@code READY}, then execs each path read from stdin and prints the outcome. */
public final class AttachTargetApp {
    private AttachTargetApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("exit")) {
            System.out.println(ProbeApp.attempt(line));
        }
    }
}
