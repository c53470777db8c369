package io.sfgateway.gateway;

/**
 * A process that keeps {@code threads} cores busy for at most {@code seconds}, beside the gateways
 * of a load test: {@code java -cp … io.sfgateway.gateway.CpuBurner <threads> <seconds>}.
 */
public final class CpuBurner {

    private CpuBurner() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        Thread[] burners = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            burners[i] = new Thread(() -> {
                double sink = 0;
                while (System.nanoTime() < deadline) {
                    for (int j = 0; j < 100_000; j++) {
                        sink += Math.sqrt(j + sink);
                    }
                }
                if (sink == 42) {
                    System.out.println(sink);
                }
            }, "burner-" + i);
            burners[i].start();
        }
        for (Thread burner : burners) {
            burner.join();
        }
    }
}
