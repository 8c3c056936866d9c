//! The client's account: budget, rate limit and bill.

use serde::{Deserialize, Serialize};

/// The client's account: queries used against the budget, simulated time under the rate limit
/// (a token bucket), and the bill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Queries allowed in all.
    pub budget: usize,
    /// Queries per simulated second the API serves, with a burst of one second's worth.
    pub rate: f32,
    /// Price per 1,000 queries.
    pub price: f32,
    /// Queries answered so far.
    pub used: usize,
    /// Simulated seconds the client has spent, waiting on the rate limit included.
    pub seconds: f64,
    tokens: f64,
}

impl Account {
    /// A fresh account with a full bucket.
    pub fn new(budget: usize, rate: f32, price: f32) -> Self {
        Self {
            budget,
            rate,
            price,
            used: 0,
            seconds: 0.0,
            tokens: f64::from(rate),
        }
    }

    /// Asks for `n` queries: grants what the budget allows, and waits (advancing the simulated
    /// clock) until the rate limit lets each one through. Returns how many were granted.
    pub fn request(&mut self, n: usize) -> usize {
        let granted = n.min(self.budget - self.used);
        let rate = f64::from(self.rate);
        for _ in 0..granted {
            if self.tokens < 1.0 {
                let wait = (1.0 - self.tokens) / rate;
                self.seconds += wait;
                self.tokens = 1.0;
            }
            self.tokens -= 1.0;
        }
        self.used += granted;
        granted
    }

    /// What the queries so far cost.
    pub fn cost(&self) -> f32 {
        self.price * self.used as f32 / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_and_rate_limit_are_enforced_to_the_query() {
        let mut account = Account::new(250, 10.0, 2.0);
        assert_eq!(account.request(10), 10); // the burst: one second's worth, no wait
        assert_eq!(account.seconds, 0.0);
        assert_eq!(account.request(30), 30); // 30 more at 10 per second
        assert!((account.seconds - 3.0).abs() < 1e-9, "{}", account.seconds);
        assert_eq!(account.request(1000), 210); // only the budget's remainder
        assert_eq!(account.request(1), 0);
        assert_eq!(account.used, 250);
        assert!((account.seconds - 24.0).abs() < 1e-6, "{}", account.seconds);
        assert!((account.cost() - 0.5).abs() < 1e-6);
    }
}
