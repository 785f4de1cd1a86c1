#!/usr/bin/python3
"""PyTorch's CPU backend on TrainingBenchmark's mnist epoch: 784-256-256-10 ReLU, softmax cross-entropy, SGD lr 0.05,
batch 32, 4,096 MNIST-shaped rows (random here: the time does not depend on the values), one thread by default.
Prints samples/s per epoch and the median. Needs a local PyTorch (Debian: apt-get install python3-torch).
Usage: jmh/pytorch-epoch.py [--threads N] [--epochs E]"""
import argparse
import statistics
import time

import torch

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--epochs", type=int, default=15)
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)
rows, batch = 4096, 32
x = torch.rand(rows, 784)
y = torch.randint(0, 10, (rows,))
net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                          torch.nn.Linear(256, 10))
opt = torch.optim.SGD(net.parameters(), lr=0.05)
loss_fn = torch.nn.CrossEntropyLoss()
rates = []
for epoch in range(args.epochs):
    order = torch.randperm(rows)
    t0 = time.perf_counter()
    for s in range(0, rows, batch):
        idx = order[s:s + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    rates.append(rows / (time.perf_counter() - t0))
    print(f"epoch {epoch}: {rates[-1]:.0f} samples/s")
counted = rates[3:]  # the first epochs warm up the allocator
print(f"PyTorch {torch.__version__}, {args.threads} thread(s): median {statistics.median(counted):.0f} samples/s,"
      f" best {max(counted):.0f} over {len(counted)} epochs")
