"""CPU work as conlab's `cpu.batch` describes it: item 53's naive factorize and item 64's naive gcd.

Written for conlab from what conlab's own reference computes (CPUTask.compute), not copied. Unit `i` of a batch
computes task `i % len(tasks)`; every unit computes, even the rounds whose result is already known: the time
spent computing is what the batch measures.
"""


def factorize(number):
    """Every divisor of `number`, by trying each candidate from 1 to `number`."""
    return [candidate for candidate in range(1, number + 1) if number % candidate == 0]


def gcd(a, b):
    """The greatest common divisor of `a` and `b`, counting down from the smaller one."""
    candidate = min(a, b)
    while candidate > 0:
        if a % candidate == 0 and b % candidate == 0:
            return [candidate]
        candidate -= 1
    return [1]


def compute(task):
    """A task object's result: `{"factorize": N}` or `{"gcd": [A, B]}`."""
    if "factorize" in task:
        return factorize(task["factorize"])
    a, b = task["gcd"]
    return gcd(a, b)


def units(work):
    """Each unit's task, in unit order: `rounds` rounds of every task, round 0 first."""
    tasks = work["tasks"]
    return [tasks[index % len(tasks)] for index in range(len(tasks) * work["rounds"])]
