"""The part of a test agreement connector tests share: parties and term."""

HEAD = """
apiVersion: accord/v1
kind: Agreement
metadata: {id: checkout, title: Checkout API, version: "1"}
timezone: Europe/Berlin
parties:
  - {id: acme, name: Acme, role: consumer}
  - {id: payco, name: PayCo, role: provider}
term:
  effective: 2026-01-01
  duration: 24 months
  renewal: {mode: auto, period: 12 months, notice: 90 days}
  termination_notice: 6 months
"""
